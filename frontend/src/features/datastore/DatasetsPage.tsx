// Placeholder: this page is being built.
export function DatasetsPage() {
  return <h1>DatasetsPage</h1>;
}
