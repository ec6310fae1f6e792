// `gatehouse settings show|set|images|pin-images`: the settings the window's Settings page changes, from a
// terminal. A change that sends approved servers back to review or turns off a guard names its cost and asks first.
import { SettingsChangeSchema, type MethodInput, type MethodOutput } from '../../src-shared/api/index.js';
import { withApi, type ConnectOptions } from './api.js';
import { CliError, confirm, note, print, printJson } from './output.js';

type Common = ConnectOptions & { json?: boolean };
type Settings = MethodOutput<'settings.get'>['settings'];
type Change = MethodInput<'settings.set'>;

const onOff = (value: string): boolean => {
  if (/^(on|true|yes)$/i.test(value)) return true;
  if (/^(off|false|no)$/i.test(value)) return false;
  throw new CliError(`say on or off, not "${value}"`);
};
const number = (value: string): number => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new CliError(`"${value}" is not a number`);
  return n;
};
const oneOf =
  <T extends string>(...values: T[]) =>
  (value: string): T => {
    if (!(values as string[]).includes(value)) throw new CliError(`say ${values.slice(0, -1).join(', ')} or ${values.at(-1)}, not "${value}"`);
    return value as T;
  };

/** A limit's value, or `none` to take the limit off. */
const noLimit =
  <T>(read: (value: string) => T) =>
  (value: string): T | null =>
    value === 'none' ? null : read(value);

/** Each setting by the name it is given here, how its value is read, and the change it makes. */
const SETTINGS: Record<string, { read: (value: string) => unknown; change: (value: never) => Change; of: (s: Settings) => unknown }> = {
  mode: { read: oneOf('search', 'direct'), change: (mode) => ({ mode }), of: (s) => s.mode },
  searchByMeaning: { read: onOff, change: (searchByMeaning) => ({ searchByMeaning }), of: (s) => s.searchByMeaning },
  removeHiddenText: { read: onOff, change: (removeHiddenText) => ({ removeHiddenText }), of: (s) => s.removeHiddenText },
  management: {
    read: oneOf('full', 'list', 'off'),
    change: (management) => ({ management }),
    of: (s) => (s.managementForced ? `${s.management} (held to ${s.managementForced} by the command that started Gatehouse)` : s.management),
  },
  maxResultChars: { read: number, change: (maxResultChars) => ({ maxResultChars }), of: (s) => s.maxResultChars },
  callTimeoutSeconds: { read: number, change: (callTimeoutSeconds) => ({ callTimeoutSeconds }), of: (s) => s.callTimeoutSeconds },
  idleTimeoutMinutes: { read: number, change: (idleTimeoutMinutes) => ({ idleTimeoutMinutes }), of: (s) => s.idleTimeoutMinutes },
  approvalTimeoutSeconds: { read: number, change: (approvalTimeoutSeconds) => ({ approvalTimeoutSeconds }), of: (s) => s.approvalTimeoutSeconds },
  'isolation.enabled': { read: onOff, change: (enabled) => ({ isolation: { enabled } }), of: (s) => s.isolation.enabled },
  'isolation.network': { read: oneOf('none', 'bridge'), change: (network) => ({ isolation: { network } }), of: (s) => s.isolation.network },
  'isolation.memory': { read: noLimit((v) => v), change: (memory) => ({ isolation: { memory } }), of: (s) => s.isolation.memory },
  'isolation.cpus': { read: noLimit(number), change: (cpus) => ({ isolation: { cpus } }), of: (s) => s.isolation.cpus },
  'isolation.fallback': { read: oneOf('none', 'unisolated'), change: (fallback) => ({ isolation: { fallback } }), of: (s) => s.isolation.fallback },
  'activity.maxAgeDays': { read: number, change: (maxAgeDays) => ({ activity: { maxAgeDays } }), of: (s) => kept(s, 'maxAgeDays') },
  'activity.maxRecords': { read: number, change: (maxRecords) => ({ activity: { maxRecords } }), of: (s) => kept(s, 'maxRecords') },
  'activity.maxMB': { read: number, change: (maxMB) => ({ activity: { maxMB } }), of: (s) => kept(s, 'maxMB') },
};

/** A bound of the activity log in force, and what config.json asks when that is below the floor kept instead. */
function kept(s: Settings, key: keyof Settings['activity']): string {
  const asked = s.activityRaised?.[key];
  return asked === undefined ? String(s.activity[key]) : `${s.activity[key]} (config.json asks for ${asked}; the log never keeps less)`;
}

function shown(value: unknown): string {
  if (value === undefined) return '(not set)';
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  return String(value);
}

export async function showSettings(options: Common): Promise<void> {
  await withApi(options, async (api) => {
    const { settings } = await api.call('settings.get', {});
    if (options.json) return printJson(settings);
    const width = Math.max(...Object.keys(SETTINGS).map((k) => k.length));
    print(Object.entries(SETTINGS).map(([key, s]) => `${key.padEnd(width)}  ${shown(s.of(settings))}`).join('\n'));
  });
}

export async function setSetting(key: string, value: string, options: Common & { yes?: boolean }): Promise<void> {
  if (!Object.hasOwn(SETTINGS, key)) throw new CliError(`no setting named "${key}"; the settings are: ${Object.keys(SETTINGS).join(', ')}`);
  const setting = SETTINGS[key]!;
  const change = setting.change(setting.read(value) as never);
  // Checked here first, so that a bad value is told as itself rather than as the cost question's.
  const checked = SettingsChangeSchema.safeParse(change);
  if (!checked.success) throw new CliError(checked.error.issues.map((issue) => issue.message).join('; '));
  await withApi(options, async (api) => {
    const cost = await api.call('settings.preview', change);
    if (cost.sentBack.length || cost.givenUp.length) {
      for (const { name, reason } of cost.sentBack) note(`"${name}" goes back to review (${reason}): agents lose its tools until you approve it again.`);
      for (const given of cost.givenUp) note(`It turns off what guards you: ${given}.`);
      await confirm('Save anyway?', options.yes);
    }
    const { settings } = await api.call('settings.set', change);
    if (options.json) return printJson(settings);
    print(`${key}: ${shown(setting.of(settings))}`);
  });
}

/** `gatehouse settings images`: the image each runtime's command servers run in when their entry names none. */
export async function listImages(options: Common): Promise<void> {
  await withApi(options, async (api) => {
    const { images } = await api.call('settings.images', {});
    if (options.json) return printJson(images);
    const width = Math.max(...images.map((row) => row.runtime.length));
    for (const row of images) {
      const servers = row.servers.length ? `run by ${row.servers.join(', ')}` : 'no server runs it';
      const relays = row.relays.length ? `; the relay of ${row.relays.join(', ')} (allowed some hosts)` : '';
      print(`${row.runtime.padEnd(width)}  ${row.image}${row.namedBy === 'default' ? " (Gatehouse's default)" : ''}  ${row.pinned ? 'pinned' : 'a tag'}; ${servers}${relays}`);
    }
  });
}

/**
 * `gatehouse settings pin-images [runtime…]`: names by its digest the image of each runtime given, or of
 * each some server runs in; asks first when that sends approved servers back to review.
 */
export async function pinImages(runtimes: string[], options: Common & { yes?: boolean }): Promise<void> {
  await withApi(options, async (api) => {
    const { images } = await api.call('settings.images', {});
    const chosen = images.filter((row) => (runtimes.length ? runtimes.includes(row.runtime) : (row.servers.length || row.relays.length) && !row.pinned));
    const sentBack = chosen.flatMap((row) => row.sentBack);
    if (sentBack.length) {
      for (const { name, reason } of sentBack) note(`"${name}" goes back to review (${reason}): agents lose its tools until you approve it again.`);
      await confirm('Pin anyway?', options.yes);
    }
    const pinned = await api.call('settings.pinImages', runtimes.length ? { runtimes } : {});
    if (options.json) return printJson(pinned);
    for (const { runtime, image } of pinned.images) print(`${runtime}: ${image}`);
  });
}
