// Draws the bureau dashboard's charts from the JSON the page carries (json_script "chart-data").
// Each <canvas data-chart="key"> gets the chart of that key; the table beside it has the numbers.
(function () {
  "use strict";

  function draw() {
    var source = document.getElementById("chart-data");
    if (!source || typeof window.Chart === "undefined") {
      return;
    }
    var charts = JSON.parse(source.textContent);
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var spec = charts[canvas.dataset.chart];
      if (!spec) {
        return;
      }
      var suffix = spec.percent ? "%" : "";
      new window.Chart(canvas, {
        type: "bar",
        data: {
          labels: spec.labels,
          datasets: spec.datasets.map(function (set) {
            return { label: set.label, data: set.data, backgroundColor: set.color, borderColor: set.color };
          })
        },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          plugins: {
            legend: { display: spec.datasets.length > 1 },
            tooltip: {
              callbacks: {
                label: function (item) {
                  var value = item.parsed.y === null ? "—" : item.parsed.y.toLocaleString() + suffix;
                  return item.dataset.label + ": " + value;
                }
              }
            }
          },
          scales: {
            x: { stacked: spec.stacked },
            y: {
              stacked: spec.stacked,
              beginAtZero: true,
              ticks: { precision: 0, callback: function (value) { return value + suffix; } }
            }
          }
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    draw();
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  });
})();
