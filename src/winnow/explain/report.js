"use strict";
// Filters of the block list: by status, by rule and (with a truth) by
// disagreement with the truth. No server, no network.
(function () {
  var blocks = Array.prototype.slice.call(document.querySelectorAll("#blocks > li"));
  var status = document.getElementById("filter-status");
  var rule = document.getElementById("filter-rule");
  var truth = document.getElementById("filter-truth");  // only with --truth
  var count = document.getElementById("filter-count");
  function apply() {
    var shown = 0;
    blocks.forEach(function (li) {
      var ok = (status.value === "all" || li.getAttribute("data-status") === status.value) &&
        (rule.value === "" || li.getAttribute("data-rule") === rule.value) &&
        (!truth || truth.value === "" || li.getAttribute("data-truth") === truth.value);
      li.hidden = !ok;
      if (ok) { shown += 1; }
    });
    count.textContent = shown + " of " + blocks.length + " shown";
  }
  status.addEventListener("change", apply);
  rule.addEventListener("change", apply);
  if (truth) { truth.addEventListener("change", apply); }
  Array.prototype.forEach.call(document.querySelectorAll("button.rule"), function (button) {
    button.addEventListener("click", function () {
      status.value = button.getAttribute("data-status");
      rule.value = button.getAttribute("data-rule");
      if (truth) { truth.value = ""; }
      apply();
      document.getElementById("filters").scrollIntoView();
    });
  });
  apply();
}());
