export * from "./parapet.js";
export { default } from "./parapet.js";
