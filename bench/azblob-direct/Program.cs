// The same transfers bench/azure-bench.sh makes through `gateway serve s3 azureblob:`, made by the
// Azure SDK (Azure.Storage.Blobs, the library the backend uses) straight to the storage account, with
// the same block size and concurrency. Prints the elapsed seconds of the transfer on stdout.
//
//   azblob-direct put  CONTAINER BLOB FILE  CHUNK_BYTES CONCURRENCY CUTOFF_BYTES
//   azblob-direct get  CONTAINER BLOB FILE  CHUNK_BYTES CONCURRENCY
//   azblob-direct puts CONTAINER PREFIX DIR PARALLEL      (every file of DIR, PARALLEL at a time)
//   azblob-direct gets CONTAINER PREFIX DIR PARALLEL      (the blobs below PREFIX into DIR)
//   azblob-direct mb   CONTAINER                          (create the container if missing)
// FILE "-" for get discards the bytes (as curl -o /dev/null).
// The connection string comes from AZURE_STORAGE_CONNECTION_STRING (never from the command line).
using System.Diagnostics;
using System.Globalization;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

var conn = Environment.GetEnvironmentVariable("AZURE_STORAGE_CONNECTION_STRING");
if (string.IsNullOrEmpty(conn) || args.Length < 2 || (args[0] != "mb" && args.Length < 5))
{
    await Console.Error.WriteLineAsync("usage: AZURE_STORAGE_CONNECTION_STRING=… azblob-direct put|get|puts|gets CONTAINER NAME PATH N…");
    return 2;
}
var container = new BlobContainerClient(conn, args[1]);
await container.CreateIfNotExistsAsync();
long Num(int i) => long.Parse(args[i], CultureInfo.InvariantCulture);
var sw = Stopwatch.StartNew();
switch (args[0])
{
    case "put":
        await container.GetBlobClient(args[2]).UploadAsync(args[3], new BlobUploadOptions
        {
            TransferOptions = new StorageTransferOptions
            {
                MaximumTransferSize = Num(4),
                InitialTransferSize = Num(6),
                MaximumConcurrency = (int)Num(5),
            },
        });
        break;
    case "mb":
        break;
    case "get":
        var options = new BlobDownloadToOptions
        {
            TransferOptions = new StorageTransferOptions
            {
                MaximumTransferSize = Num(4),
                InitialTransferSize = Num(4),
                MaximumConcurrency = (int)Num(5),
            },
        };
        var blob = container.GetBlobClient(args[2]);
        if (args[3] == "-")
            await blob.DownloadToAsync(Stream.Null, options);
        else
            await blob.DownloadToAsync(args[3], options);
        break;
    case "puts":
        await Parallel.ForEachAsync(Directory.EnumerateFiles(args[3]), new ParallelOptions { MaxDegreeOfParallelism = (int)Num(4) },
            async (file, ct) => await container.GetBlobClient(args[2] + Path.GetFileName(file)).UploadAsync(file, ct));
        break;
    case "gets":
        Directory.CreateDirectory(args[3]);
        var names = new List<string>();
        await foreach (var item in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, args[2], default))
            names.Add(item.Name);
        await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = (int)Num(4) },
            async (name, ct) => await container.GetBlobClient(name).DownloadToAsync(Path.Combine(args[3], name[args[2].Length..]), ct));
        break;
    default:
        await Console.Error.WriteLineAsync($"unknown command {args[0]}");
        return 2;
}
Console.WriteLine(sw.Elapsed.TotalSeconds.ToString("F3", CultureInfo.InvariantCulture));
return 0;
