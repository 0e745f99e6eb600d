// Copy the front-end libraries from node_modules into the web app's static files, so that they
// are served by the application itself (the users' networks have no internet).
import { cpSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";

const dest = "casecenter/web/static/vendor";
const files = {
  "bootstrap/dist/css/bootstrap.min.css": "bootstrap/bootstrap.min.css",
  "bootstrap/dist/css/bootstrap.min.css.map": "bootstrap/bootstrap.min.css.map",
  "bootstrap/dist/js/bootstrap.bundle.min.js": "bootstrap/bootstrap.bundle.min.js",
  "bootstrap/dist/js/bootstrap.bundle.min.js.map": "bootstrap/bootstrap.bundle.min.js.map",
  "bootstrap-icons/font/bootstrap-icons.min.css": "bootstrap-icons/bootstrap-icons.min.css",
  "bootstrap-icons/font/fonts": "bootstrap-icons/fonts",
  "htmx.org/dist/htmx.min.js": "htmx/htmx.min.js",
  "echarts/dist/echarts.min.js": "echarts/echarts.min.js",
};
rmSync(dest, { recursive: true, force: true });
for (const [from, to] of Object.entries(files)) {
  const target = join(dest, to);
  mkdirSync(dirname(target), { recursive: true });
  cpSync(join("node_modules", from), target, { recursive: true });
}
console.log(`front-end libraries copied to ${dest}`);
