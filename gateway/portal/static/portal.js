// Draws the page's charts from the data the server embedded (#data-grafik). Without JavaScript, or before it
// loads, the tables beside each chart show the same figures exactly; the charts plot them as numbers.
(function () {
  "use strict";
  var el = document.getElementById("data-grafik");
  if (!el || typeof Chart === "undefined") { return; }
  var warna = ["#0b5394", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#6a3d9a", "#7f7f7f", "#1b9e77"];
  var rupiah = new Intl.NumberFormat("id-ID", { style: "currency", currency: "IDR", maximumFractionDigits: 0 });
  JSON.parse(el.textContent).forEach(function (g) {
    var canvas = document.getElementById(g.id);
    if (!canvas) { return; }
    var bulat = g.jenis === "doughnut";
    new Chart(canvas, {
      type: g.jenis,
      data: {
        labels: g.labels,
        datasets: g.series.map(function (s, i) {
          return {
            label: s.label,
            data: s.data.map(Number),
            backgroundColor: bulat ? g.labels.map(function (_, j) { return warna[j % warna.length]; }) : warna[i % warna.length]
          };
        })
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        indexAxis: bulat ? undefined : "y",
        plugins: {
          title: { display: true, text: g.judul },
          tooltip: { callbacks: { label: function (c) { return c.dataset.label + ": " + rupiah.format(c.raw); } } }
        },
        scales: bulat ? {} : { x: { ticks: { callback: function (v) { return rupiah.format(v); } } } }
      }
    });
    canvas.setAttribute("data-digambar", "1");
  });
})();
