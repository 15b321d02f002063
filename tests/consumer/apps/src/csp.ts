// Imported first by main.ts: every CSP violation on the page is recorded for the test.
export const violations: string[] = [];
document.addEventListener("securitypolicyviolation", (e) => {
  violations.push(`${e.violatedDirective} ${e.blockedURI}`);
});
