// Types for assets imported `with { type: "file" }`: Bun hands back the file's path (embedded under --compile).
declare module "swagger-ui-dist/swagger-ui-bundle.js" {
  const path: string;
  export default path;
}
declare module "swagger-ui-dist/swagger-ui.css" {
  const path: string;
  export default path;
}
