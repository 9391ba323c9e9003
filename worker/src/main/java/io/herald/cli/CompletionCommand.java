package io.herald.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code herald completion}: the bash and zsh completion script of this command line, generated from its own model. */
@Command(
        name = "completion",
        mixinStandardHelpOptions = true,
        description = {
            "Prints the bash and zsh completion script of the subcommands and their options.",
            "Install it with: source <(herald completion), or save it in /etc/bash_completion.d/herald;"
                    + " it completes the command name herald (an alias or a script on the PATH)."
        })
final class CompletionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var root = spec.root().commandLine();
        spec.commandLine().getOut().print(AutoComplete.bash(root.getCommandName(), root));
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
