/**
 * Numbers as pages show them ("12,345"). One formatter for every call: `n.toLocaleString("en")`
 * gives the same text but sets up a formatter for each number, about four times the cost, and a
 * page formats dozens (every card's comment count, every leaderboard row).
 */
const NUMBER = new Intl.NumberFormat("en");

export function formatNumber(n: number): string {
  return NUMBER.format(n);
}
