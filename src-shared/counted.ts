// A count with its noun in the right number: "1 item", "3 items", "2 entries".

export function counted(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
