/**
 * Money as the database stores it (numeric text such as "1234.5") for people: "1,234.50 EUR".
 * Exact, with no float rounding, and with the currency code rather than a symbol, since "$" alone
 * would not tell a host's USD credit from its CAD credit.
 */
export function formatMoney(amount: string, currency: string): string {
  const negative = amount.startsWith("-");
  const [whole = "0", cents = ""] = (negative ? amount.slice(1) : amount).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${negative ? "−" : ""}${grouped}.${cents.padEnd(2, "0")} ${currency}`;
}
