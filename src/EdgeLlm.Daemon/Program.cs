using EdgeLlm.Daemon.Cli;

return await EdgeLlmCommandLine.Create().Parse(args).InvokeAsync();
