/* qyanalysis: sortable and filterable report tables. Offline, no network, nothing from the data runs:
   it only reorders and hides the rows of the page's own tables. Without script a table stays as it is. */
(function () {
  "use strict";
  var FILTER_FROM_ROWS = 12;
  var label = document.body.getAttribute("data-filter-label") || "Filter";
  function key(cell) {
    var text = (cell ? cell.textContent : "").replace(/,/g, "").replace(/\u2212/g, "-");
    var found = text.match(/-?\d+(\.\d+)?/);
    return found ? parseFloat(found[0]) : null;
  }
  function words(cell) {
    var text = cell ? cell.textContent.trim() : "";
    return text === "" || text === "\u2014" ? null : text;
  }
  function sortable(table) {
    var body = table.tBodies[0];
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(heads, function (th, column) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "qy-sort";
      while (th.firstChild) { button.appendChild(th.firstChild); }
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(heads, function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        var numeric = rows.every(function (row) {
          return words(row.cells[column]) === null || key(row.cells[column]) !== null;
        });
        var value = numeric ? function (row) { return words(row.cells[column]) === null ? null : key(row.cells[column]); }
                            : function (row) { return words(row.cells[column]); };
        rows.sort(function (a, b) {
          var x = value(a), y = value(b);
          if (x === null || y === null) { return x === y ? 0 : (x === null ? 1 : -1); }
          var order = numeric ? x - y : String(x).localeCompare(String(y), document.documentElement.lang);
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
    if (body.rows.length >= FILTER_FROM_ROWS) {
      var input = document.createElement("input");
      input.type = "search";
      input.className = "qy-filter";
      input.placeholder = label;
      input.setAttribute("aria-label", label);
      input.addEventListener("input", function () {
        var needle = input.value.trim().toLowerCase();
        Array.prototype.forEach.call(body.rows, function (row) {
          row.hidden = needle !== "" && row.textContent.toLowerCase().indexOf(needle) === -1;
        });
      });
      var box = table.parentNode;
      box.parentNode.insertBefore(input, box);
    }
  }
  Array.prototype.forEach.call(document.querySelectorAll("div.qy-table > table"), function (table) {
    if (table.tBodies.length && table.tBodies[0].rows.length > 1) { sortable(table); }
  });
})();
