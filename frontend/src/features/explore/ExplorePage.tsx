// Placeholder: this page is being built.
export function ExplorePage() {
  return <h1>ExplorePage</h1>;
}
