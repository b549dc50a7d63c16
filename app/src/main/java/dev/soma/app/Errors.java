package dev.soma.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IExitCodeExceptionMapper;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * How {@code soma} reports errors, on stderr and without stack traces unless asked.
 *
 * <ul>
 *   <li>A usage mistake (unknown option or command, bad value): {@code soma: <what>}, picocli's
 *       suggestions if it has any, and a hint to run {@code --help}; exit code 2.
 *   <li>A command that throws: {@code soma: <message>}; exit code 1. With {@code --debug} the stack
 *       trace instead.
 * </ul>
 */
final class Errors implements IParameterExceptionHandler, IExecutionExceptionHandler {

    private Errors() {}

    /** Installs the handlers on {@code cmd}, which should be the top-level command. */
    static void install(CommandLine cmd) {
        Errors errors = new Errors();
        cmd.setParameterExceptionHandler(errors);
        cmd.setExecutionExceptionHandler(errors);
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("soma: " + ex.getMessage());
        UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        if (debugRequested(parsed)) {
            ex.printStackTrace(err);
        } else {
            err.println("soma: " + describe(ex));
        }
        err.flush();
        IExitCodeExceptionMapper mapper = cmd.getExitCodeExceptionMapper();
        return mapper != null ? mapper.getExitCode(ex) : cmd.getCommandSpec().exitCodeOnExecutionException();
    }

    /** Whether {@code --debug} was given to the top command or to any subcommand on the way. */
    static boolean debugRequested(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--debug")) {
                return true;
            }
        }
        return false;
    }

    /**
     * One line for a person: the message of exceptions that carry one meant for people (I/O errors,
     * bad arguments or state, Soma's own), otherwise the exception's class and message, since then
     * it is likely a bug and the class says more than the message.
     */
    static String describe(Throwable t) {
        if (t instanceof UncheckedIOException && t.getCause() != null) {
            t = t.getCause();
        }
        String message = t.getMessage() == null || t.getMessage().isBlank() ? null : t.getMessage();
        return switch (t) {
            case NoSuchFileException e -> "no such file or directory: " + e.getFile();
            case AccessDeniedException e -> "permission denied: " + e.getFile();
            case FileAlreadyExistsException e -> "already exists: " + e.getFile();
            case NotDirectoryException e -> "not a directory: " + e.getFile();
            case DirectoryNotEmptyException e -> "directory not empty: " + e.getFile();
            default -> {
                Class<?> c = t.getClass();
                boolean forPeople = t instanceof IOException
                        || c == IllegalArgumentException.class
                        || c == IllegalStateException.class
                        || c == UnsupportedOperationException.class
                        || c.getName().startsWith("dev.soma.");
                if (message == null) {
                    yield c.getSimpleName();
                }
                yield forPeople ? message : c.getSimpleName() + ": " + message;
            }
        };
    }
}
