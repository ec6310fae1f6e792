// The admin API without a wire, for a CLI working on the files directly and for the contract tests.
// Inputs and outputs still pass through JSON, so the in-memory client sees exactly what a remote one
// would.
import type { ApiTransport } from '../../../src-shared/api/index.js';
import type { AdminService } from './service.js';

export function inMemoryTransport(service: AdminService): ApiTransport {
  return {
    async call(method, input) {
      const wireInput = input === undefined ? undefined : JSON.parse(JSON.stringify(input));
      const output = await service.call(method, wireInput);
      return JSON.parse(JSON.stringify(output));
    },
    subscribe(onEvent, onClose) {
      return service.subscribe({
        deliver: (event) => {
          onEvent(JSON.parse(JSON.stringify(event)));
          return true;
        },
        close: (reason) => onClose?.(reason),
      });
    },
  };
}
