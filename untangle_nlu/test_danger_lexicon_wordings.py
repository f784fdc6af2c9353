"""Danger said without the usual words, and the everyday senses beside them: each wording and the level it gets
from the lexicon alone (None: no card). Written by us; none of these is taken from an evaluation set."""

from __future__ import annotations

import pytest

URGENT, CHECK_IN, NO_CARD = "urgent", "check_in", None

WORDINGS = [
    # by water or up high, an overdose, hospital, a quoted death threat, being pushed into something solid, groping
    ("might just walk into the river tonight and be done", URGENT),
    ("currently sitting on the edge of the roof of the car park", URGENT),
    ("i dont feel safe from myself this evening", URGENT),
    ("i think i took too many of the tablets, feel weird", URGENT),
    ("honestly i dont want to be on this planet anymore", URGENT),
    ("ive had enough of life, properly had enough", URGENT),
    ("my partner put me in hospital in the summer", URGENT),
    ("she put me in A&E twice this month", URGENT),
    ("his text said youre dead if you go to the police", URGENT),
    ("the message just said you're dead when i find you", URGENT),
    ("he pushed me into the fridge last night", URGENT),
    ("she shoved me into the door", URGENT),
    ("my stepdad groped me under the table at dinner", URGENT),
    # veiled threats, someone else's marks, loose wording, a relapse, a note, a rope, a phone destroyed
    ("she keeps her sleeves down but i saw the scars all over her wrists", CHECK_IN),
    ("he always says accidents happen when i talk about going", CHECK_IN),
    ("her words were 'i'd hate to see anything happen to that dog of yours'", CHECK_IN),
    ("whats the point of me anyway", CHECK_IN),
    ("my brother gets a bit rough with her when hes had a drink", CHECK_IN),
    ("had a relapse and cut last week, first time in ages", CHECK_IN),
    ("spent the evening writing notes to my kids", CHECK_IN),
    ("ordered some rope online, not for anything in particular", CHECK_IN),
    ("he stamped on my phone so i couldnt ring my sister", CHECK_IN),
    ("my dad hurt her again last night", CHECK_IN),
    ("his last text said i know where ur working now", CHECK_IN),
    ("he told me i'll regret leaving him", CHECK_IN),
    ("my coworker had a black eye and said she walked into a door", CHECK_IN),  # someone else: a check-in
    ("she came in limping and said she walked into the door again", CHECK_IN),
    ("at the handover he stood blocking my car door and shouting", CHECK_IN),
    ("i blocked his number again last night", NO_CARD),
    ("does he ever hurt them when you're not there", CHECK_IN),
    # disappearing for good, a threat in text-speak, a passive wish, the word put in quotes
    ("she said shed make sure no one ever finds me if i tell", URGENT),
    ("his words were nobody will ever find your body", URGENT),
    ("ex just sent 'u r gonna regret this' at 3am", CHECK_IN),
    # intimate pictures pressed for or threatened, a grip that bruised, medication kept back
    ("my boyfriend keeps nagging me for nudes", CHECK_IN),
    ("she says she'll post my naked photos if i leave", CHECK_IN),
    ("he twisted my wrist when i tried to take my phone back", CHECK_IN),
    ("my husband hides my insulin when we argue", CHECK_IN),
    ("she took my meds away for a week to teach me a lesson", CHECK_IN),
    ("some nights i just dont want to be here", CHECK_IN),
    ('my mate says her husband gets "rough" with her sometimes', CHECK_IN),
    # the everyday senses of the same words
    ("we walked along the river and watched the boats", NO_CARD),
    ("you're dead to me, i told him, and i meant it", NO_CARD),
    ("went for a swim in the sea with the kids", NO_CARD),
    ("my parents pushed me into a job i hate", NO_CARD),
    ("he pushed me into moving abroad", NO_CARD),
    ("left a note for my flatmate about the washing up", NO_CARD),
    ("i cracked my phone screen again lol", NO_CARD),
    ("i'm gonna regret this third slice of cake", NO_CARD),
    ("can you send me the photos from the christening", NO_CARD),
    ("my mum keeps her tablets in the kitchen drawer", NO_CARD),
    ("my dad said i'd regret not learning to drive", NO_CARD),
    ("going to murder these slugs before they eat my lettuces", NO_CARD),
    ("the baby held me hostage on the sofa all afternoon", NO_CARD),
    ("at karate we practised getting out of a headlock", NO_CARD),
    ("he had me in a headlock and i couldnt breathe", URGENT),
    # trial 12: hiding from someone in a locked room now, turning up at a relative's house; a door locked for quiet
    ("im in my room with the door locked. should i go out there", URGENT),
    ("i locked myself in the bathroom, hes still shouting downstairs", URGENT),
    ("hiding in my room till he calms down", URGENT),
    ("hes also started turning up at my mums house asking where i am", CHECK_IN),
    ("my sisters turned up at my mums house for christmas", NO_CARD),
    ("i locked the bathroom door to get five minutes away from the kids lol", NO_CARD),
    # a situation's effect, a general question, an appointment
    ("we row in front of the kids. does it hurt them long term?", NO_CARD),
    ("is a safety plan only for people who get hit", CHECK_IN),  # "safety plan" itself is a check-in entry
    ("are refuges only for women who get hurt", NO_CARD),
    ("i have to take my mum to her hospital appointment tomorrow", NO_CARD),
    ("he hurt her feelings when he forgot her birthday", NO_CARD),
    # reassurance: nobody hurt, or "not like he's hitting me" typed without the apostrophe (negated: the scorer's)
    ("yeah we're all fine, nobody's getting hurt", NO_CARD),
    ("it's not like shes hurting me or anything", CHECK_IN),
    # wordings our blind sets missed (each in our own words), beside an everyday use of the same words
    ("no. she's standing in front of the door", URGENT),
    # trial 13: on the way home in a temper
    ("he's coming home tonight and he's angry, last time he threw a plate", CHECK_IN),
    ("she's on her way back and she's drunk", CHECK_IN),
    ("we live together. hes coming home tonight and hes angry", CHECK_IN),
    ("she's coming home tonight and she's so excited about the trip", NO_CARD),
    ("i was standing in front of the door waiting for the delivery", NO_CARD),
    ("i keep my trainers by the bed in case i need to run", CHECK_IN),
    ("he shook the baby when he wouldnt stop crying", URGENT),
    ("my son is 3 and she shook him because he wouldnt stop screaming", URGENT),  # a child: urgent for anyone
    ("he shook his head when i asked", NO_CARD),
    ("ive thought about slipping something in her drink so she finally shuts up", URGENT),
    ("i put something in his lunchbox as a surprise", NO_CARD),
    ("one day im going to make him feel what i felt", URGENT),
    ("most nights i dont see the point in being here", CHECK_IN),
    ("i dont see the point in going to the gym", NO_CARD),
    ("this is probably my last post. thanks for everything", CHECK_IN),
    ("this is my last message before i go to bed", NO_CARD),
    ("the pills are all lined up in front of me", URGENT),
    ("my pills are out, need a refill from the gp", NO_CARD),
    ("safe from her yes. from myself, no", URGENT),
    ("she says one day ill push her too far and she wont be responsible for what she does", CHECK_IN),
    # putting things in order, beside passwords written down and affairs of another kind
    ("ive written down all my passwords for my sister, just in case", CHECK_IN),
    ("been quietly putting my affairs in order this week", CHECK_IN),
    ("i wrote down the wifi password for the babysitter", NO_CARD),
    ("left the password for the tv on the fridge", NO_CARD),
    ("he had two affairs while we were married", NO_CARD),
]


@pytest.mark.parametrize("text, expected", WORDINGS)
def test_each_wording_gets_its_level(lexicon, nlp, text, expected):
    finding = lexicon.find(nlp(text))
    assert (None if finding is None else finding.level) == expected
