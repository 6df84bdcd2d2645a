/* The home page's charts (issue 13): each chart reads the JSON its panel wrote beside it and draws
   it with Apache ECharts (vendored, no CDN) as SVG, which prints crisp. The table under each chart
   holds the same numbers for screen readers, for print and for when scripts are off. */
(function () {
  "use strict";
  var COLOURS = ["#417690", "#ba2121", "#e0a526", "#5b8c5a", "#7a5195", "#999999"];

  function option(data) {
    var type = data.type;
    if (type === "gauge") {
      var quota = data.series[0].data[0] || 0;
      var headcount = data.series[1] ? data.series[1].data[0] || 0 : 0;
      return {
        animation: false,
        series: [{
          type: "gauge", min: 0, max: Math.max(quota * 1.25, headcount, 1),
          axisLine: {lineStyle: {width: 14, color: [[quota / Math.max(quota * 1.25, headcount, 1), "#5b8c5a"], [1, "#ba2121"]]}},
          detail: {formatter: headcount + " / " + quota, fontSize: 18, offsetCenter: [0, "70%"]},
          title: {offsetCenter: [0, "95%"]},
          data: [{value: headcount, name: data.series[1] ? data.series[1].name : ""}]
        }]
      };
    }
    var horizontal = type !== "line" && data.categories.length > 8;
    var categoryAxis = {type: "category", data: data.categories, axisLabel: {interval: 0, width: 110, overflow: "truncate"}};
    var valueAxis = {type: "value", minInterval: 1};
    return {
      animation: false,
      color: COLOURS,
      tooltip: {trigger: "axis"},
      legend: {top: 0},
      grid: {left: horizontal ? 120 : 40, right: 20, top: 30, bottom: 30, containLabel: !horizontal},
      xAxis: horizontal ? valueAxis : categoryAxis,
      yAxis: horizontal ? categoryAxis : valueAxis,
      series: data.series.map(function (series) {
        return {
          name: series.name,
          type: type === "line" ? "line" : "bar",
          stack: type === "stacked" ? "total" : undefined,
          data: series.data,
          connectNulls: false
        };
      })
    };
  }

  function draw() {
    if (typeof echarts === "undefined") return;
    document.querySelectorAll(".dashboard-chart[data-chart]").forEach(function (element) {
      var source = document.getElementById(element.getAttribute("data-chart"));
      if (!source) return;
      var data = JSON.parse(source.textContent);
      if (data.type !== "gauge" && data.type !== "line" && data.categories.length > 8) {
        element.style.height = Math.max(240, data.categories.length * 26 + 60) + "px";
      }
      var chart = echarts.init(element, null, {renderer: "svg"});
      chart.setOption(option(data));
      element.setAttribute("data-drawn", "true");
      window.addEventListener("resize", function () { chart.resize(); });
      window.addEventListener("beforeprint", function () { chart.resize(); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
