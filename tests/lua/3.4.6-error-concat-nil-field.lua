local person = {name = "ann"}
print(person.name .. " " .. person.surname)

-- expect error: attempt to concatenate a nil value (field 'surname')
