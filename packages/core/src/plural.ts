/** A count with its noun in the right number: "1 publication", "2 publications", "0 posts". */
export function countOf(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
