-- A task's source format is null for a file of no known format (it can only be packed into an
-- archive); the extension it was stored under says what it was. Earlier rows kept that extension
-- here instead.
alter table tasks alter column original_format drop not null;
update tasks set original_format = null
where original_format not in ('mp4', 'm4v', 'webm', 'avi', 'mpeg', 'mpg', 'wmv', 'mov', 'mkv', 'mp3', 'aac', 'acc',
    'ogg', 'oga', 'wav', 'wma', 'flac', 'm4a', 'opus', 'jpg', 'jpeg', 'png', 'webp', 'gif', 'bmp', 'tiff', 'tif',
    'zip', '7z', 'tar.gz', 'tgz', 'tar.bz2', 'tbz2', 'tar.xz', 'txz');
