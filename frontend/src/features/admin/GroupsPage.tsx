// Placeholder: this page is being built.
export function GroupsPage() {
  return <h1>GroupsPage</h1>;
}
