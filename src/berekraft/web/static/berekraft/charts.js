/* Draws every chart on the page: <div data-vega="ID" data-spec="…"> holds its Vega-Lite spec
   as JSON (an attribute, not a script block, so htmx swaps it in like any other markup). No eval (the CSP forbids it): vega
   runs its expressions through vega-interpreter. Charts that htmx swaps in are drawn too. */
(function () {
  "use strict";
  var options = {
    actions: false,
    renderer: "svg",
    ast: true,
    expr: window.vegaInterpreter && window.vegaInterpreter.expressionInterpreter,
    defaultStyle: false,
    tooltip: { disableDefaultStyle: true }
  };

  function draw(root) {
    var nodes = (root || document).querySelectorAll("[data-vega]");
    Array.prototype.forEach.call(nodes, function (el) {
      if (el.getAttribute("data-drawn")) { return; }
      el.setAttribute("data-drawn", "pending");
      var spec = JSON.parse(el.getAttribute("data-spec"));
      window.vegaEmbed(el, spec, options).then(function (result) {
        el.setAttribute("data-drawn", "yes");
        var svg = el.querySelector("svg");
        if (svg) { svg.setAttribute("aria-hidden", "true"); svg.setAttribute("focusable", "false"); }
        el.__view = result.view;
      }).catch(function (error) {
        el.setAttribute("data-drawn", "failed");
        console.error("chart " + el.getAttribute("data-vega") + ": " + error);
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSettle", function () { draw(document); });
})();
