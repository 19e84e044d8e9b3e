// Placeholder: this page is being built.
export function EditPage() {
  return <h1>EditPage</h1>;
}
