// Appended to require.js by vendor/update.sh (as require-boot.js); runs before embed-amd.js.
// The widget bundle finds its icon fonts next to the URL RequireJS gives each of its modules;
// by default that is a path relative to the page, which does not exist. Map every module of
// the bundle onto /pivot-widgets/, the copy of the files this site serves (no CDN).
(function () {
  var here = document.currentScript && document.currentScript.src;
  if (!here || typeof require === "undefined" || !require.config) {
    return;
  }
  var base = new URL("./", here).href;
  window.__jupyter_widgets_assets_path__ = base;
  require.config({
    paths: {
      "@jupyter-widgets/html-manager/dist": base.replace(/\/$/, ""),
      "@jupyter-widgets/html-manager": base + "html-manager",
      "@jupyter-widgets/controls": base + "controls",
      "@jupyter-widgets/controls7": base + "controls7",
      "@jupyter-widgets/base": base + "base",
      "@jupyter-widgets/base7": base + "base7"
    }
  });
})();
