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
    var bulat = g.jenis === "doughnut", garis = g.jenis === "line";
    new Chart(canvas, {
      type: g.jenis,
      data: {
        labels: g.labels,
        datasets: g.series.map(function (s, i) {
          var w = warna[(s.warna === undefined ? i : s.warna) % warna.length];  // a budget and its realisation: one colour
          return {
            label: s.label,
            // null: a month not yet passed, left out of the line
            data: s.data.map(function (v) { return v === null ? null : Number(v); }),
            backgroundColor: bulat ? g.labels.map(function (_, j) { return warna[j % warna.length]; }) : w,
            borderColor: garis ? w : undefined,
            borderDash: s.putus ? [6, 4] : undefined,
            pointRadius: s.putus ? 0 : 3
          };
        })
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        indexAxis: bulat || garis ? undefined : "y",
        plugins: {
          title: { display: true, text: g.judul },
          tooltip: { callbacks: { label: function (c) { return c.dataset.label + ": " + rupiah.format(c.raw); } } }
        },
        scales: bulat ? {} : garis ? { y: { beginAtZero: true, ticks: { callback: function (v) { return rupiah.format(v); } } } }
          : { x: { ticks: { callback: function (v) { return rupiah.format(v); } } } }
      }
    });
    canvas.setAttribute("data-digambar", "1");
  });
})();
