using System.Globalization;
using VfsGateway.IntegrationTests.Infrastructure;

namespace VfsGateway.IntegrationTests.Backends.S3;

/// <summary>
/// Debian's nginx as a round-robin load balancer on 127.0.0.1, started in the foreground by the test
/// (`nginx -p D -c CONF -e D/error.log -g 'daemon off;'`). Bodies stream through unbuffered in both
/// directions and the client's Host is kept (SigV4 signs it). Workers run as nobody, so the prefix
/// directory is theirs. The access log records which upstream served each request.
/// </summary>
internal sealed class NginxBalancer : IAsyncDisposable
{
    private readonly ServerProcess _process;

    private NginxBalancer(ServerProcess process, string directory, IReadOnlyList<int> ports)
    {
        _process = process;
        Directory = directory;
        Ports = ports;
    }

    public string Directory { get; }

    /// <summary>The listening port of each balanced group, in the order given.</summary>
    public IReadOnlyList<int> Ports { get; }

    public string AccessLog => File.Exists(System.IO.Path.Combine(Directory, "access.log")) ? File.ReadAllText(System.IO.Path.Combine(Directory, "access.log")) : string.Empty;

    /// <summary>One listener per group, each balancing round-robin over the group's backend ports.</summary>
    public static async Task<NginxBalancer> StartAsync(string directory, params int[][] groups)
    {
        var nginx = File.Exists("/usr/sbin/nginx") ? "/usr/sbin/nginx" : Tool.Require("nginx");
        System.IO.Directory.CreateDirectory(directory);
        var ports = groups.Select(_ => VfsGateway.TestSupport.LoopbackPorts.Free()).ToList();
        var servers = string.Join('\n', groups.Select((group, i) => $$"""
                upstream group{{i}} {
            {{string.Join('\n', group.Select(p => $"        server 127.0.0.1:{p} max_fails=0;"))}}
                }
                server {
                    listen 127.0.0.1:{{ports[i]}};
                    location / {
                        proxy_pass http://group{{i}};
                        proxy_set_header Host $http_host;
                        proxy_next_upstream error timeout;
                    }
                }
            """));
        var config = System.IO.Path.Combine(directory, "nginx.conf");
        await File.WriteAllTextAsync(config, $$"""
            worker_processes 1;
            pid {{directory}}/nginx.pid;
            events { worker_connections 512; }
            http {
                log_format upstream '$request_method $request_uri $status $upstream_addr';
                access_log {{directory}}/access.log upstream;
                client_body_temp_path {{directory}}/body;
                proxy_temp_path {{directory}}/proxy;
                fastcgi_temp_path {{directory}}/fastcgi;
                uwsgi_temp_path {{directory}}/uwsgi;
                scgi_temp_path {{directory}}/scgi;
                client_max_body_size 0;
                proxy_request_buffering off;
                proxy_buffering off;
                proxy_http_version 1.1;
                proxy_read_timeout 300s;
                proxy_send_timeout 300s;
            {{servers}}
            }
            """);
        var chown = await ProcessRunner.RunAsync("chown", ["-R", "nobody", directory], timeout: TimeSpan.FromSeconds(30));
        Assert.True(chown.Succeeded, chown.Describe());
        var process = await ServerProcess.StartAsync(
            nginx, ["-p", directory, "-c", config, "-e", System.IO.Path.Combine(directory, "error.log"), "-g", "daemon off;"], ports[0]);
        foreach (var port in ports.Skip(1))
        {
            await VfsGateway.TestSupport.LoopbackPorts.WaitForListenerAsync(port, null, "nginx");
        }

        return new NginxBalancer(process, directory, ports);
    }

    public string Url(int group) => "http://127.0.0.1:" + Ports[group].ToString(CultureInfo.InvariantCulture);

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
