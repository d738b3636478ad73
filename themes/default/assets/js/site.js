// Progressive enhancement only: every page reads fine without this script.
(function () {
  "use strict";
})();
