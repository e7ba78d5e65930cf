/* Draws each chart of a region page with Chart.js from the JSON beside its canvas
 * (written by pipelines/charts.py). Colours come from the page's CSS variables, so the legend and
 * the charts share one definition. Without Chart.js the canvases keep their fallback text. */
(function () {
  "use strict";
  if (typeof Chart === "undefined") return;

  var css = getComputedStyle(document.documentElement);
  function cssVar(name) { return css.getPropertyValue("--" + name).trim(); }
  var COLOR = { bar: cssVar("bar"), neg: cssVar("neg"), target: cssVar("target"), computed: cssVar("computed"),
                text: cssVar("fg"), muted: cssVar("muted"), grid: cssVar("grid"), axis: cssVar("axis") };
  var PRELIM_ALPHA = parseFloat(cssVar("prelim-alpha")) || 0.55;

  function fade(hex, alpha) {
    var n = parseInt(hex.slice(1), 16);
    return "rgba(" + (n >> 16 & 255) + "," + (n >> 8 & 255) + "," + (n & 255) + "," + alpha + ")";
  }

  /* Numbers as the page writes them (report_format.fmt_number): thousands commas, a real minus. */
  function number(v) {
    var s = Number(v).toLocaleString("en-US", { maximumFractionDigits: 2 });
    return s === "-0" ? "0" : s.replace("-", "\u2212");
  }

  function barColor(ctx) {
    var raw = ctx.raw || {};
    var base = raw.y < 0 ? COLOR.neg : COLOR.bar;
    return raw.preliminary ? fade(base, PRELIM_ALPHA) : base;
  }

  /* A target line spans most of its year's slot, like the bar beneath it. */
  function targetHalfWidth(ctx) {
    var chart = ctx.chart, n = chart.data.labels.length || 1;
    var width = chart.chartArea ? chart.chartArea.width : chart.width;
    return Math.max(4, width / n * 0.42);
  }

  var valueLabels = {
    id: "valueLabels",
    afterDatasetsDraw: function (chart) {
      var ctx = chart.ctx, meta = chart.getDatasetMeta(0), data = chart.data.datasets[0].data;
      ctx.save();
      ctx.font = "11px " + Chart.defaults.font.family;
      ctx.fillStyle = COLOR.text;
      ctx.textAlign = "center";
      meta.data.forEach(function (el, i) {
        var below = data[i].y < 0;
        ctx.textBaseline = below ? "top" : "bottom";
        ctx.fillText(data[i].text, el.x, el.y + (below ? 3 : -3));
      });
      ctx.restore();
    }
  };

  /* Targets are drawn here, not as Chart.js points: a point as wide as the bar would make
   * Chart.js pad the whole plot by its radius. The invisible point still gives the hover text. */
  var targetLines = {
    id: "targetLines",
    afterDatasetsDraw: function (chart) {
      var ctx = chart.ctx;
      chart.data.datasets.forEach(function (dataset, index) {
        if (dataset.kind !== "target") return;
        chart.getDatasetMeta(index).data.forEach(function (el) {
          var half = targetHalfWidth({ chart: chart });
          ctx.save();
          ctx.strokeStyle = COLOR.target;
          ctx.lineWidth = 2.5;
          ctx.setLineDash([5, 3]);
          ctx.beginPath();
          ctx.moveTo(el.x - half, el.y);
          ctx.lineTo(el.x + half, el.y);
          ctx.stroke();
          ctx.restore();
        });
      });
    }
  };

  function markers(kind, points, style) {
    return Object.assign({ type: "line", kind: kind, label: kind, data: points, showLine: false, order: 0 }, style);
  }

  function config(spec) {
    return {
      type: "bar",
      data: {
        labels: spec.labels,
        datasets: [
          { kind: "bar", label: "reported", data: spec.bars, backgroundColor: barColor, barPercentage: 0.6,
            categoryPercentage: 1, order: 1 },
          markers("target", spec.targets, { borderColor: COLOR.target, pointRadius: 0, pointHoverRadius: 0,
                                            pointHitRadius: targetHalfWidth }),
          markers("computed", spec.computed, { pointStyle: "rectRot", backgroundColor: COLOR.computed,
                                               borderColor: COLOR.computed, pointRadius: 5, pointHoverRadius: 6 })
        ]
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        layout: { padding: { top: 4 } },
        scales: {
          x: { grid: { display: false }, ticks: { color: COLOR.muted } },
          y: { beginAtZero: true, grace: "12%",
               ticks: { color: COLOR.muted, maxTicksLimit: 5, callback: number },
               grid: { color: function (c) { return c.tick && c.tick.value === 0 ? COLOR.axis : COLOR.grid; } },
               border: { display: false },
               title: { display: !!spec.unit, text: spec.unit, color: COLOR.muted } }
        },
        plugins: {
          legend: { display: false },  // the page's legend below the charts says the same for all
          title: { display: true, text: spec.title, align: "start", color: COLOR.text,
                   font: { size: 13, weight: "bold" } },
          tooltip: { callbacks: { label: function (item) { return item.raw.title || item.raw.text || number(item.raw.y); } } }
        },
        onHover: function (event, elements) {
          event.native.target.style.cursor = elements.length ? "pointer" : "default";
        },
        onClick: function (event, elements, chart) {
          if (!elements.length) return;
          var raw = chart.data.datasets[elements[0].datasetIndex].data[elements[0].index];
          if (raw.href && raw.href.charAt(0) === "#") location.hash = raw.href;
        }
      },
      plugins: [valueLabels, targetLines]
    };
  }

  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.font.size = 11;
  document.querySelectorAll(".chart").forEach(function (box) {
    var canvas = box.querySelector("canvas"), json = box.querySelector("script.chart-data");
    if (!canvas || !json) return;
    new Chart(canvas, config(JSON.parse(json.textContent)));
  });
})();
