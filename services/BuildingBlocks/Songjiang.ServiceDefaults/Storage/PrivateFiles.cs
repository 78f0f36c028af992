namespace Songjiang.ServiceDefaults.Storage;

/// <summary>
/// Creates the platform's data on disk readable by its own account only: folders 0700, files 0600, from the moment
/// they exist (not chmod-ed afterwards, which leaves a window). Databases, keys and uploaded materials hold personal
/// and secret data; another account on the machine has no business reading them. No-ops on Windows, where the
/// folder's ACL applies.
/// </summary>
public static class PrivateFiles
{
    /// <summary>Owner read and write (0600).</summary>
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Owner read, write and search (0700).</summary>
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>
    /// Creates <paramref name="path"/> (and missing parents) as 0700. A folder that already exists is tightened to 0700
    /// if it is ours and open to others; a folder owned by someone else (a mounted volume) is left as it is.
    /// </summary>
    public static DirectoryInfo CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return Directory.CreateDirectory(path);
        }

        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            var existing = new DirectoryInfo(full);
            if ((existing.UnixFileMode & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
                                          UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute)) != 0)
            {
                try
                {
                    existing.UnixFileMode = FolderMode;
                }
                catch (UnauthorizedAccessException)
                {
                    // Not ours (a volume mounted by the operator): its owner decides.
                }
            }
            return existing;
        }

        return Directory.CreateDirectory(full, FolderMode);
    }

    /// <summary>Opens a new file for writing, created 0600; fails if it exists.</summary>
    public static FileStream CreateNew(string path, int bufferSize = 81920, bool useAsync = true)
    {
        var options = new FileStreamOptions
        {
            Mode = System.IO.FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            BufferSize = bufferSize,
            Options = useAsync ? FileOptions.Asynchronous : FileOptions.None,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode;
        }

        return new FileStream(path, options);
    }

    /// <summary>Writes <paramref name="content"/> to a new file created 0600.</summary>
    public static void WriteNew(string path, string content)
    {
        using var file = CreateNew(path, bufferSize: 4096, useAsync: false);
        using var writer = new StreamWriter(file);
        writer.Write(content);
    }

    /// <summary>
    /// Creates an empty file 0600 if none exists, so a program that creates the file itself (SQLite, which gives its
    /// journal and WAL files the database file's mode) finds it private. An existing file of ours is tightened.
    /// </summary>
    public static void Touch(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        if (File.Exists(path))
        {
            var mode = File.GetUnixFileMode(path);
            if ((mode & ~(FileMode | UnixFileMode.UserExecute)) != 0)
            {
                try
                {
                    File.SetUnixFileMode(path, FileMode);
                }
                catch (UnauthorizedAccessException)
                {
                    // Not ours.
                }
            }
            return;
        }

        try
        {
            CreateNew(path, bufferSize: 1, useAsync: false).Dispose();
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another replica or thread created it first.
        }
    }
}
