/**
 * The site icon, a small SVG (a beat on a round drum), served at /favicon.svg
 * and at /favicon.ico (browsers ask for it when a page names none), so no page
 * load ends in a 404.
 */
export const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><circle cx="16" cy="16" r="15" fill="#1d4ed8"/>' +
  '<path d="M5 17h6l2-6 4 12 3-9 2 3h5" fill="none" stroke="#fff" stroke-width="2.5" stroke-linecap="round" stroke-linejoin="round"/></svg>';

export const FAVICON_HEADERS = {
  'Content-Type': 'image/svg+xml',
  'Cache-Control': 'public, max-age=86400',
  'X-Content-Type-Options': 'nosniff',
} as const;
