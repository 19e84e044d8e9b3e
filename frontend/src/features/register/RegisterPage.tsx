// Placeholder: this page is being built.
export function RegisterPage() {
  return <h1>RegisterPage</h1>;
}
