// Reading a user's bundle: a dropped folder or archive, or a folder picked with
// <input webkitdirectory>. Folder files are read as text; binary files are skipped.

export const isArchiveName = (name) => /\.(tar\.gz|tgz|zip|tar)$/i.test(name);

const decoder = new TextDecoder('utf-8', { fatal: true });

async function readText(file) {
  try {
    return decoder.decode(await file.arrayBuffer());
  } catch {
    return null;
  }
}

/** Strips the picked folder's own name (the first path component) from every path. */
export async function readFolderPick(fileList) {
  const list = [...fileList];
  if (list.length === 0) return null;
  const files = {};
  let name = 'bundle';
  for (const file of list) {
    const parts = (file.webkitRelativePath || file.name).split('/');
    name = parts.length > 1 ? parts[0] : name;
    const path = parts.length > 1 ? parts.slice(1).join('/') : parts[0];
    if (/(^|\/)(\.git|node_modules|__MACOSX)\//.test(`${path}/`) || path.endsWith('.DS_Store')) continue;
    const text = await readText(file);
    if (text !== null) files[path] = text;
  }
  return { name, files };
}

function entryFile(entry) {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

function readEntries(reader) {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

async function walk(entry, prefix, files) {
  if (entry.isFile) {
    const text = await readText(await entryFile(entry));
    if (text !== null) files[prefix + entry.name] = text;
  } else if (entry.isDirectory && !['.git', 'node_modules', '__MACOSX'].includes(entry.name)) {
    const reader = entry.createReader();
    for (;;) {
      const batch = await readEntries(reader);
      if (batch.length === 0) break;
      for (const child of batch) await walk(child, `${prefix}${entry.name}/`, files);
    }
  }
}

/** `{archive: File}` for a dropped archive, `{name, files}` for a dropped folder. */
export async function readDroppedItems(dataTransfer) {
  const items = [...(dataTransfer.items || [])];
  const entries = items.map((i) => (i.webkitGetAsEntry ? i.webkitGetAsEntry() : null)).filter(Boolean);
  if (entries.length === 1 && entries[0].isDirectory) {
    const files = {};
    const root = entries[0];
    const reader = root.createReader();
    for (;;) {
      const batch = await readEntries(reader);
      if (batch.length === 0) break;
      for (const child of batch) await walk(child, '', files);
    }
    return { name: root.name, files };
  }
  const file = [...(dataTransfer.files || [])].find((f) => isArchiveName(f.name));
  if (file) return { archive: file };
  if (entries.length > 0) {
    const files = {};
    for (const entry of entries) await walk(entry, '', files);
    return { name: 'dropped files', files };
  }
  return {};
}
