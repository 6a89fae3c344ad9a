export { PACKAGE_VERSION as SERVER_VERSION } from '../paths.js';
