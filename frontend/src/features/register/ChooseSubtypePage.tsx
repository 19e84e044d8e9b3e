// Placeholder: this page is being built.
export function ChooseSubtypePage() {
  return <h1>ChooseSubtypePage</h1>;
}
