// Progressive enhancement: keep the current #anchor when switching language.
// Both languages use the same anchors, so the counterpart always has it.
(function () {
  var link = document.getElementById("lang-switch");
  if (!link) return;
  link.addEventListener("click", function () {
    if (location.hash) link.href = link.href.split("#")[0] + location.hash;
  });
})();
