// Pulumi's policy runner require()s this file and awaits what it exports; the pack itself is an ES module (compiled
// to bin/policy/pack.js by `npm run build`), so it is loaded with a dynamic import.
module.exports = () => import("../bin/policy/pack.js");
