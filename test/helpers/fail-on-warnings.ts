// Node warnings (deprecations, listener leaks, unhandled rejections) fail the run instead of scrolling past.
process.on('warning', (warning) => {
  throw warning;
});
