// Placeholder: this page is being built.
export function DatasetPage() {
  return <h1>DatasetPage</h1>;
}
