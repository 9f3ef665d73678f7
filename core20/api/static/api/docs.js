/* Starts Swagger UI on the API docs page. A static file, not an inline script, so that
   the page works under the site's Content Security Policy. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("swagger-settings").textContent);
  var csrfToken = document.body.dataset.csrfToken;
  config.dom_id = "#swagger-ui";
  config.presets = [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset];
  // "Try it out" with the browser session: unsafe methods need Django's CSRF token.
  config.requestInterceptor = function (request) {
    var method = (request.method || "GET").toUpperCase();
    if (csrfToken && ["GET", "HEAD", "OPTIONS", "TRACE"].indexOf(method) === -1) {
      request.headers["X-CSRFToken"] = csrfToken;
    }
    return request;
  };
  window.ui = SwaggerUIBundle(config);
})();
