/** Saves a URL (data: or blob:) as a file through a temporary <a download> element. */
export function downloadUrl(url: string, fileName: string): void {
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  anchor.rel = 'noopener';
  anchor.style.display = 'none';
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
}

/** Saves text as a file with the given media type. */
export function downloadText(text: string, fileName: string, mediaType: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mediaType }));
  downloadUrl(url, fileName);
  // Revoke on a later task so the browser has started reading the blob.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
