"""What Feide log-in says to people, in bokmål."""

NO_ACCESS = "Du har ikke tilgang til Trygg ved denne skolen – kontakt rektor."
NO_ACCESS_HINT = ("Rektor kan koble Feide-brukeren din til kontoen din i Trygg, eller legge inn "
                  "e-postadressen din fra Feide på kontoen.")
NOT_CONFIRMED = ("Innloggingen med Feide kunne ikke bekreftes, så du er ikke logget inn. "
                 "Prøv igjen fra innloggingssiden.")
STATE_LOST = ("Innloggingen med Feide ble avbrutt eller hørte til en annen fane eller et eldre forsøk. "
              "Du er ikke logget inn. Prøv igjen fra innloggingssiden.")
UNREACHABLE = "Vi får ikke kontakt med Feide akkurat nå. Prøv igjen om litt."
CANCELLED = "Innloggingen med Feide ble avbrutt. Du er ikke logget inn."
MFA_MISSING = ("Skoleeier krever innlogging med to faktorer (for eksempel kode på mobilen) i Feide, "
               "og denne innloggingen var uten. Du er ikke logget inn. Prøv igjen, og fullfør det andre "
               "steget hos Feide.")
PASSWORDS_OFF = "Skolen din bruker Feide. Logg inn med Feide i stedet for brukernavn og passord."
FEIDE_ID_TAKEN = "Denne Feide-brukeren er allerede koblet til en annen konto i Trygg."
