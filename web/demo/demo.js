// Adds the widget's one embed tag, taking the Rasa server from ?server= (default http://localhost:5005).
// A real site writes the <script> tag straight into its HTML instead (see web/README.md).
(function () {
  var server = new URLSearchParams(location.search).get("server") || "http://localhost:5005";
  var attributes = {
    "data-server": server,
    "data-country": "GB",
    "data-title": "Untangle",
    "data-exit-url": "https://www.bbc.co.uk/weather",
    "data-accent": "#145a63",
    "data-emergency": "Emergency: 999; Refuge (24h): 0808 2000 247; Harbour Lane advisers: 01632 960 123"
  };
  var tag = document.createElement("script");
  tag.src = "../widget/untangle.js";
  Object.keys(attributes).forEach(function (name) { tag.setAttribute(name, attributes[name]); });
  document.body.appendChild(tag);
})();
