import { html, page } from './html';

/** A plain error page: never a redirect to a place the request named (brief5). */
export function errorPage(title: string, message: string): string {
  return page(
    title,
    html`<h1>${title}</h1>
      <p>${message}</p>`,
  );
}
