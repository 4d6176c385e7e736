// kubelet-playground's embed script: turns every
//   <div data-kubelet-playground data-lesson="mirror-mirror" data-height="520"></div>
// into a sized, titled iframe of the playground served beside this script. Optional
// attributes: data-step, data-lang, data-theme, data-panes, data-readonly. The iframe talks
// to this page with postMessage (docs/embedding.md); it accepts requests only from this
// page's origin.
(function () {
  'use strict';
  var script = document.currentScript;
  var base = new URL('.', script ? script.src : document.baseURI);

  function frame(host) {
    if (host.querySelector('iframe.kubelet-playground')) return;
    var params = new URLSearchParams();
    params.set('embed', '1');
    var names = ['lesson', 'step', 'lang', 'theme', 'panes', 'readonly'];
    for (var i = 0; i < names.length; i++) {
      var value = host.getAttribute('data-' + names[i]);
      if (value !== null && value !== '') params.set(names[i], value);
    }
    if (location.origin && location.origin !== 'null') params.set('parentOrigin', location.origin);
    var height = parseInt(host.getAttribute('data-height') || '520', 10);
    var iframe = document.createElement('iframe');
    iframe.className = 'kubelet-playground';
    iframe.src = new URL('index.html?' + params.toString(), base).href;
    iframe.title = 'kubelet-playground' + (params.get('lesson') ? ': ' + params.get('lesson') : '');
    iframe.style.width = '100%';
    iframe.style.minWidth = '320px';
    iframe.style.height = (isNaN(height) || height < 320 ? 520 : height) + 'px';
    iframe.style.border = '1px solid #d0d7de';
    iframe.style.borderRadius = '6px';
    iframe.setAttribute('allow', 'clipboard-write');
    iframe.setAttribute('loading', 'lazy');
    host.appendChild(iframe);
  }

  function all() {
    var hosts = document.querySelectorAll('[data-kubelet-playground]');
    for (var i = 0; i < hosts.length; i++) frame(hosts[i]);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', all);
  else all();
})();
