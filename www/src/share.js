// Share links: the workspace (files, inputs, mocks, selection) in the URL hash — a versioned
// prefix, then the workspace deflated and base64url-encoded. v2 (written now) lays it out as a
// JSON header (everything but the files' texts, with their paths) and the texts after it, and
// deflates with a preset dictionary of what Proton bundles repeat (share-dictionary.js); v1 (the
// JSON deflated) is still read. Decoding is bounded before and after inflating, and every
// malformed link is a clear error that changes nothing.
import { deflateSync, Inflate, strToU8, strFromU8 } from 'fflate';
import { persisted, restoreWorkspace } from './workspace.js';
import { DICTIONARY } from './share-dictionary.js';

export const VERSION = 2;
const DICTIONARY_BYTES = strToU8(DICTIONARY);
/** Between the header and each file's text (a text holding one is carried in the header). */
const SEPARATOR = '\u0000';
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

/**
 * The hash (without `#`) for `workspace`; `only` (a bundle's root) keeps just that bundle's
 * files, the part the render needs.
 */
export function encode(workspace, { only = null } = {}) {
  const { files, ...rest } = persisted(workspace);
  const kept = only === null ? files
    : Object.fromEntries(Object.entries(files).filter(([path]) => only === '' || path.startsWith(`${only}/`)));
  const paths = Object.keys(kept);
  const texts = paths.map((p) => kept[p]);
  const plain = texts.every((t) => !t.includes(SEPARATOR));
  const header = JSON.stringify(plain ? { ...rest, paths } : { ...rest, files: kept });
  const payload = plain ? [header, ...texts].join(SEPARATOR) : header;
  const bytes = deflateSync(strToU8(payload), { level: 9, mem: 12, dictionary: DICTIONARY_BYTES });
  return `${PREFIX}${VERSION}.${toBase64Url(bytes)}`;
}

/** The workspace of a v2 payload: the header, then the files' texts in its `paths` order. */
function unpack(text) {
  const cut = text.indexOf(SEPARATOR);
  const header = JSON.parse(cut < 0 ? text : text.slice(0, cut));
  if (!Array.isArray(header.paths)) return header;
  const texts = cut < 0 ? [] : text.slice(cut + 1).split(SEPARATOR);
  if (texts.length !== header.paths.length) throw new Error(`it holds ${texts.length} files for ${header.paths.length} paths`);
  const { paths, ...rest } = header;
  return { ...rest, files: Object.fromEntries(paths.map((p, i) => [String(p), texts[i]])) };
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
    const version = Number(match[1]);
    const inflater = new Inflate(version >= 2 ? { dictionary: DICTIONARY_BYTES } : {}, (chunk) => {
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
    json = version >= 2 ? unpack(strFromU8(bytes)) : JSON.parse(strFromU8(bytes));
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
