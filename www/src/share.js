// Share links: the workspace (files, inputs, mocks, selection) in the URL hash — a versioned
// prefix, then the JSON deflated and base64url-encoded. Decoding is bounded before and after
// inflating, and every malformed link is a clear error that changes nothing.
import { deflateSync, Inflate, strToU8, strFromU8 } from 'fflate';
import { persisted, restoreWorkspace } from './workspace.js';

export const VERSION = 1;
const PREFIX = 'share=v';
/** Links past this many characters get a warning (chat tools and some browsers cut them). */
export const LONG_LINK = 8000;
/** Caps: characters of encoded text accepted, and bytes once inflated. */
const MAX_ENCODED = 4 * 1024 * 1024;
const MAX_INFLATED = 16 * 1024 * 1024;

function toBase64Url(bytes) {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('the link contains characters a share link never has');
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** The hash (without `#`) for `workspace`. */
export function encode(workspace) {
  const json = JSON.stringify(persisted(workspace));
  return `${PREFIX}${VERSION}.${toBase64Url(deflateSync(strToU8(json), { level: 9 }))}`;
}

/** True when `hash` (without `#`) is meant as a share link. */
export function isShareHash(hash) {
  return hash.startsWith(PREFIX);
}

/** The workspace a share hash holds; throws an Error with a message for the user otherwise. */
export function decode(hash) {
  const match = /^share=v(\d+)\.(.*)$/s.exec(hash);
  if (!match) throw new Error('this is not a share link (it should start with #share=v1.)');
  if (Number(match[1]) > VERSION) throw new Error(`this link was made by a newer version of the playground (link format v${match[1]}, this page reads v${VERSION})`);
  if (Number(match[1]) < 1) throw new Error(`unknown link format v${match[1]}`);
  if (match[2].length > MAX_ENCODED) throw new Error(`the link is too long (${match[2].length} characters; at most ${MAX_ENCODED})`);
  let json;
  try {
    const chunks = [];
    let total = 0;
    const inflater = new Inflate((chunk) => {
      total += chunk.length;
      if (total > MAX_INFLATED) throw new Error(`it unpacks to more than ${MAX_INFLATED / 1048576} MB`);
      chunks.push(chunk);
    });
    inflater.push(fromBase64Url(match[2]), true);
    const bytes = new Uint8Array(total);
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.length;
    }
    json = JSON.parse(strFromU8(bytes));
  } catch (error) {
    throw new Error(`the link is damaged or cut short (${error.message})`);
  }
  try {
    return restoreWorkspace(json, `shared:${Date.now()}`);
  } catch (error) {
    throw new Error(`the link does not hold a workspace (${error.message})`);
  }
}

/** A Markdown snippet for issues and chat: the link and the rendered file. */
export function markdown(link, name, output) {
  const lines = output ? output.content.split('\n') : [];
  const shown = lines.slice(0, 40).join('\n');
  const more = lines.length > 40 ? `\n# … ${lines.length - 40} more lines` : '';
  const fence = shown.includes('```') ? '~~~' : '```';
  const body = output ? `\n\n\`${output.path}\`:\n\n${fence}yaml\n${shown}${more}\n${fence}\n` : '\n';
  return `[${name} in Proton Playground](${link})${body}`;
}
