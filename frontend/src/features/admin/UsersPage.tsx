// Placeholder: this page is being built.
export function UsersPage() {
  return <h1>UsersPage</h1>;
}
