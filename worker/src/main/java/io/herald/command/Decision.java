package io.herald.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.command.api.Call;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** What happens to a command next: the answer of {@link Decide#next}, which the executor carries out. */
public sealed interface Decision {

    /** Where the record is left once this decision is carried out and durable ({@link Ending.GoesOn} when it is not an end). */
    Ending ending();

    /** Make the {@code attempt}-th call; its answer must show {@code expectation}. */
    record Send(int attempt, Call call, Expectation expectation, Progress progress) implements Decision {
        @Override
        public Ending ending() {
            return Ending.GOES_ON;
        }
    }

    /**
     * The command ended with what OneAll did.
     *
     * @param result  OneAll's {@code result.data} as received (sanitised), or null
     * @param reason  what failed, for a {@code partial}; for a {@code minimal} record, why the answer was left out;
     *                else null
     * @param minimal record the status without the answer and its effects (the database refused them)
     */
    record Finish(CommandStatus status, JsonNode result, String reason, Integer httpStatus, boolean minimal)
            implements Decision {
        @Override
        public Ending ending() {
            return Ending.DONE;
        }

        public Finish {
            if (status != CommandStatus.SUCCEEDED && status != CommandStatus.PARTIAL) {
                throw new IllegalArgumentException("a command finishes succeeded or partial, not " + status);
            }
            if (status == CommandStatus.PARTIAL && (reason == null || reason.isBlank())) {
                throw new IllegalArgumentException("a partial outcome says what failed");
            }
        }
    }

    /** Try again at {@code at}: the command waits in the ledger and heads its account, whose later commands wait behind it. */
    record Retry(Instant at, String reason, Integer httpStatus, Progress progress) implements Decision {
        @Override
        public Ending ending() {
            return new Ending.Parked(at);
        }

        public Retry {
            Objects.requireNonNull(at, "a retry has a time");
        }
    }

    /** Not before {@code at}: the command waits in the ledger; a {@code scheduled} one does not hold its account. */
    record Wait(Instant at, boolean scheduled, String reason) implements Decision {
        @Override
        public Ending ending() {
            return scheduled ? new Ending.Scheduled(at) : new Ending.Parked(at);
        }
    }

    /** Wait behind the account's earlier command in the ledger. */
    record ParkBehind() implements Decision {
        @Override
        public Ending ending() {
            return new Ending.Parked(null);
        }
    }

    /** Dead-letter it; {@code httpStatus} is null when OneAll never answered. */
    record DeadLetter(ErrorClass errorClass, String reason, Integer httpStatus, boolean minimal) implements Decision {
        @Override
        public Ending ending() {
            return Ending.DONE;
        }

        public DeadLetter {
            Objects.requireNonNull(errorClass, "a dead letter has an error class");
            if (!errorClass.deadLetterClass()) {
                throw new IllegalArgumentException(errorClass.wireName() + " is not a dead letter's class");
            }
            if (reason == null || reason.isBlank()) {
                throw new IllegalArgumentException("a dead letter says why");
            }
        }

        public DeadLetter(ErrorClass errorClass, String reason, Integer httpStatus) {
            this(errorClass, reason, httpStatus, false);
        }
    }

    /**
     * Another claim's call may still be under way, or another claim changed the command under this worker's record:
     * read the ledger again in {@code recheckIn} (at once when zero), sending nothing meanwhile.
     */
    record WaitForInFlight(Duration recheckIn, String reason) implements Decision {
        @Override
        public Ending ending() {
            return Ending.GOES_ON;
        }
    }

    /** Settle a lost call by reading OneAll back, once {@code after} has passed (a call may still land until then). */
    record ReadBack(LostCall lost, Duration after, String reason) implements Decision {
        @Override
        public Ending ending() {
            return Ending.GOES_ON;
        }
    }

    /** The lost call had no effect (or only reads): reopen the command and claim it again, to {@code progress} when given. */
    record SendAgain(String reason, Progress progress) implements Decision {
        @Override
        public Ending ending() {
            return Ending.GOES_ON;
        }
    }

    /** A 401 or 403: ask OneAll whether it refuses the site's keys or only this identity's credentials. */
    record CheckSiteKeys(int attempt, Classification.CredentialsSuspect suspect) implements Decision {
        @Override
        public Ending ending() {
            return Ending.GOES_ON;
        }
    }

    /** OneAll refuses the site's keys: hold the command (and consumption) until it accepts them, then claim it again. */
    record HoldForSiteKeys(String reason) implements Decision {
        @Override
        public Ending ending() {
            return Ending.GOES_ON;
        }
    }

    /** OneAll refuses this identity's credentials: hold it and its account's commands until resumed or {@code until}. */
    record HoldIdentity(Instant until, String reason, Integer httpStatus) implements Decision {
        @Override
        public Ending ending() {
            return new Ending.Parked(until);
        }
    }

    /** It ended before: announce its outcome again (outcome events are at least once), send nothing. */
    record Acknowledge(CommandStatus status, int attempts) implements Decision {
        @Override
        public Ending ending() {
            return Ending.DONE;
        }
    }

    /**
     * The record reuses the id of another command (another body): dead-letter the record as {@code conflict} beside the
     * command, whose row, parking and outcome stay as they are; send nothing, announce no outcome.
     */
    record Conflict(String reason) implements Decision {
        @Override
        public Ending ending() {
            return Ending.DONE;
        }
    }

    /** Its campaign was cancelled: record it cancelled, send nothing. */
    record Cancel(int attempts) implements Decision {
        @Override
        public Ending ending() {
            return Ending.DONE;
        }
    }

    /**
     * The call this worker made took effect, but another worker had meanwhile counted it lost: replace the
     * {@code unknown-outcome} dead letter of that same attempt with {@code finish}, so that no replay posts it again.
     */
    record CorrectLostCall(Finish finish) implements Decision {
        @Override
        public Ending ending() {
            return Ending.DONE;
        }
    }

    /**
     * The call of {@code attempt} never left this worker, but another worker settled its claim meanwhile: if it counted
     * that very attempt an unknown outcome, the command is {@code pending} again and its record consumed once more, so
     * that it is carried out once; if anything else became of it, nothing changes.
     */
    record ReturnUnsent(int attempt, String reason) implements Decision {
        @Override
        public Ending ending() {
            return new Ending.Dropped("its record is produced again for the partition's owner");
        }
    }

    /** Claim it again ({@code why}): what the ledger holds for it changed. */
    record Claim(String why) implements Decision {
        @Override
        public Ending ending() {
            return Ending.GOES_ON;
        }
    }

    /** Its hold for the site's keys is recorded: wait until OneAll accepts them, then claim it again. */
    record AwaitSiteKeys() implements Decision {
        @Override
        public Ending ending() {
            return Ending.GOES_ON;
        }
    }

    /** What the decision before asked is durable: the record is left as {@code ending}. */
    record Stop(Ending ending) implements Decision {
        public Stop {
            Objects.requireNonNull(ending, "a stop says where the record is left");
            if (ending instanceof Ending.GoesOn) {
                throw new IllegalArgumentException("a stop leaves the record somewhere");
            }
        }
    }

    /** Leave it: the partition, or the claim, is another worker's now. */
    record Drop(String why) implements Decision {
        @Override
        public Ending ending() {
            return new Ending.Dropped(why);
        }
    }
}
