// Placeholder until the [site] issue lands the real customer site.
export function Placeholder() {
  return (
    <main>
      <h1>JAM Contact Center</h1>
      <p>The local contact center is running. The customer site is being built.</p>
    </main>
  );
}
