// A .sql file imports as its text (esbuild's text loader in scripts/build.mjs, a transform in vitest.config.ts).
declare module '*.sql' {
  const text: string;
  export default text;
}
