// dt-sql-parser's ES modules import folders and extensionless files, which Node resolves only for CommonJS:
// retry such an import with /index.js or .js, as a bundler would.
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (error) {
    if (error.code === 'ERR_UNSUPPORTED_DIR_IMPORT') {
      return next(`${specifier}/index.js`, context);
    }
    if (error.code === 'ERR_MODULE_NOT_FOUND' && specifier.startsWith('.')) {
      return next(`${specifier}.js`, context);
    }
    throw error;
  }
}
