// Placeholder: this page is being built.
export function RecordPage() {
  return <h1>RecordPage</h1>;
}
