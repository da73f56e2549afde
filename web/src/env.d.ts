// Stylesheets are imported for their side effect; Vite bundles them.
declare module '*.css';

// hls.js ships no type file for its light build (no subtitles, alternate
// audio or DRM, which live shopping does not use); its API is the full build's.
declare module 'hls.js/light' {
  export { default } from 'hls.js';
}
